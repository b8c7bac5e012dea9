// A CommonJS package laid out as WeChat's "Build npm" step lays it out: require('tiny-money') finds it.
function format(cents) {
  return '¥' + (cents / 100).toFixed(2);
}
module.exports = { format };
