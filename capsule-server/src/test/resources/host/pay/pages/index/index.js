// The orders come from the merchant's backend (the test writes them in): the mini-program only passes them on.
const ORDERS = __ORDERS__;

Page({
  data: { result: 'none' },
  pay(order) {
    this.setData({ result: 'asking' });
    wx.requestPayment({
      timeStamp: order.timeStamp, nonceStr: order.nonceStr, package: order.package,
      signType: order.signType, paySign: order.paySign,
      // Everything the mini-program learns is what these callbacks receive.
      success: (r) => this.setData({ result: 'ok ' + JSON.stringify(r) }),
      fail: (e) => this.setData({ result: 'fail ' + JSON.stringify(e) })
    });
  },
  onCard() { this.pay(ORDERS.card); },
  onWallet() { this.pay(ORDERS.wallet); },
  onForged() { this.pay(ORDERS.forged); }
});
