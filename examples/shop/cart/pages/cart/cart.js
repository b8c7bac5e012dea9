// A page of the "cart" subpackage: it may require the main package's modules (never the reverse).
import { find } from '../../../utils/catalogue.js';
const money = require('tiny-money');

Page({
  data: { lines: [], total: '' },
  onShow() {
    const ids = getApp().globalData.cart;
    const products = ids.map(find);
    this.setData({
      lines: products.map(p => p.name),
      total: money.format(products.reduce((sum, p) => sum + p.cents, 0))
    });
  }
});
