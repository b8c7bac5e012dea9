App({
  onLaunch() {
    const units = wx.getStorageSync('units');
    this.globalData.units = units === 'imperial' ? 'imperial' : 'metric';
  },

  onError(msg) {
    console.error('Weather app error:', msg);
  },

  globalData: {
    units: 'metric'
  }
});
