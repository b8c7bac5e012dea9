// The orders come from the merchant's backend (the test writes them in): the mini-program only passes them on.
const ORDERS = __ORDERS__;

Page({
  data: { names: Object.keys(ORDERS), result: 'none' },
  // The result names the order, so a second payment's outcome is never mistaken for the first one's.
  onPay(e) {
    const name = e.currentTarget.dataset.name;
    const order = ORDERS[name];
    this.setData({ result: 'asking ' + name });
    wx.requestPayment({
      timeStamp: order.timeStamp, nonceStr: order.nonceStr, package: order.package,
      signType: order.signType, paySign: order.paySign,
      // Everything the mini-program learns is what these callbacks receive.
      success: (r) => this.setData({ result: 'ok ' + name + ' ' + JSON.stringify(r) }),
      fail: (e) => this.setData({ result: 'fail ' + name + ' ' + JSON.stringify(e) })
    });
  }
});
