import catalogue, { find } from '../../utils/catalogue.js';
const money = require('tiny-money'); // mixed import and require, as WeChat allows

Page({
  data: { products: [] },
  onLoad() {
    this.setData({ products: catalogue.map(p => ({ id: p.id, name: p.name, price: money.format(p.cents) })) });
  },
  onAdd(e) {
    const product = find(e.currentTarget.dataset.id);
    if (!product) {
      wx.showToast({ title: 'No such product', icon: 'none' });
      return;
    }
    getApp().globalData.cart.push(product.id);
    wx.navigateTo({ url: '/cart/pages/cart/cart' });
  }
});
