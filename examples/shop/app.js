// ES module syntax, as WeChat's developer tools accept it: `capsule pack` compiles it to CommonJS.
import { CATALOGUE } from './utils/catalogue.js';

App({
  globalData: { cart: [] },
  onLaunch() {
    console.log('shop open with ' + CATALOGUE.length + ' products');
  }
});
