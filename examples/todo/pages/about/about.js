Page({
  data: {
    version: '1.0.0'
  },

  onBack() {
    wx.navigateBack({ delta: 1 });
  }
});
