const { parseOrder, outcome } = require('../../utils/order');

// The order comes from the merchant's backend. Here the user pastes it (see README.md: wx.request may not reach a
// backend on this machine); a real mini-program fetches it with wx.request and passes it on unchanged.
Page({
  data: {
    order: '',
    paying: false,
    result: ''
  },

  onOrderInput(e) {
    this.setData({ order: e.detail.value });
  },

  onPay() {
    const parsed = parseOrder(this.data.order);
    if (parsed.error) {
      this.setData({ result: 'invalid order: ' + parsed.error });
      return;
    }
    // wx.requestPayment exists only where the host has a payment sheet and the release's risk profile grants the
    // payment API (the reviewer's `financial` preset): elsewhere it is absent, not a stub (wx.canIUse says so).
    if (!wx.canIUse('requestPayment')) {
      this.setData({ result: 'fail unavailable: payments are not granted to this mini-program here' });
      return;
    }
    this.setData({ paying: true, result: 'paying…' });
    const order = parsed.order;
    wx.requestPayment({
      timeStamp: order.timeStamp,
      nonceStr: order.nonceStr,
      package: order.package,
      signType: order.signType,
      paySign: order.paySign,
      // All the mini-program learns is the outcome; the merchant's backend asks the platform whether it was paid.
      complete: (r) => this.setData({ paying: false, result: outcome(r.errMsg) })
    });
  }
});
