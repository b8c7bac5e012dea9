const { formatForecast } = require('../../utils/units');

const API = 'https://api.weather.example.com/v1/forecast';
const DEFAULT_CITIES = ['Beijing', 'Shanghai', 'Shenzhen', 'Chengdu'];

Page({
  data: {
    cities: [],
    city: '',
    forecast: null,
    rows: [],
    units: 'metric',
    loading: false,
    error: ''
  },

  onLoad() {
    wx.getStorage({
      key: 'cities',
      success: (res) => {
        const cities = Array.isArray(res.data) && res.data.length ? res.data : DEFAULT_CITIES;
        this.setData({ cities, city: this.data.city || cities[0] });
      },
      fail: () => {
        // First run: nothing cached yet.
        this.setData({ cities: DEFAULT_CITIES, city: this.data.city || DEFAULT_CITIES[0] });
        wx.setStorage({ key: 'cities', data: DEFAULT_CITIES });
      }
    });

    wx.getStorage({ key: 'forecast' })
      .then((res) => {
        const forecast = res.data;
        if (forecast && forecast.city) {
          this.setData({ forecast, city: forecast.city, rows: formatForecast(forecast, this.data.units) });
        }
      })
      .catch(() => {
        this.setData({ forecast: null, rows: [] });
      });
  },

  onShow() {
    // Units may have changed on the settings tab.
    const units = wx.getStorageSync('units') === 'imperial' ? 'imperial' : 'metric';
    if (units !== this.data.units) {
      this.setData({ units, rows: formatForecast(this.data.forecast, units) });
    }
  },

  onSelectCity(e) {
    const city = e.currentTarget.dataset.city;
    if (!city) {
      return;
    }
    this.setData({ city, error: '' });
    this.onRefresh();
  },

  onRefresh() {
    const city = this.data.city;
    if (!city || this.data.loading) {
      return;
    }
    this.setData({ loading: true, error: '' });
    wx.showLoading({ title: 'Loading' });
    wx.request({
      url: API + '?city=' + encodeURIComponent(city),
      method: 'GET',
      success: (res) => {
        if (res.statusCode !== 200 || !res.data || !Array.isArray(res.data.days)) {
          this.showError('Server returned ' + res.statusCode);
          return;
        }
        const forecast = { city, days: res.data.days, fetchedAt: Date.now() };
        wx.setStorage({ key: 'forecast', data: forecast });
        this.setData({ forecast, rows: formatForecast(forecast, this.data.units) });
      },
      fail: (err) => {
        this.showError('Network error: ' + (err && err.errMsg ? err.errMsg : 'unknown'));
      },
      complete: () => {
        wx.hideLoading();
        this.setData({ loading: false });
      }
    });
  },

  showError(message) {
    this.setData({ error: message });
    wx.showToast({ title: 'Could not load forecast', icon: 'none' });
  }
});
