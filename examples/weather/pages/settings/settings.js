Page({
  data: {
    units: 'metric',
    options: [
      { value: 'metric', label: 'Metric (\u00b0C)' },
      { value: 'imperial', label: 'Imperial (\u00b0F)' }
    ]
  },

  onShow() {
    const units = wx.getStorageSync('units') === 'imperial' ? 'imperial' : 'metric';
    this.setData({ units });
  },

  onUnitsChange(e) {
    const units = e.detail.value === 'imperial' ? 'imperial' : 'metric';
    wx.setStorageSync('units', units);
    getApp().globalData.units = units;
    this.setData({ units });
  },

  onClearCache() {
    wx.showModal({
      title: 'Clear cache',
      content: 'Remove saved cities, forecast and settings?',
      confirmText: 'Clear',
      success: (res) => {
        if (!res.confirm) {
          return;
        }
        wx.clearStorage({
          success: () => {
            getApp().globalData.units = 'metric';
            this.setData({ units: 'metric' });
            wx.showToast({ title: 'Cache cleared', icon: 'success' });
          },
          fail: () => {
            wx.showToast({ title: 'Could not clear cache', icon: 'none' });
          }
        });
      }
    });
  }
});
