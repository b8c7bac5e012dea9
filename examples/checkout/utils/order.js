// The order the merchant's backend hands the mini-program: exactly wx.requestPayment's five parameters
// (docs/payments.md, "paySign and the prepay id"). Pure functions, no wx.

const FIELDS = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'];

/** The order's five fields from the pasted JSON, or an error saying what is wrong (never the pasted text). */
function parseOrder(text) {
  let value;
  try {
    value = JSON.parse(String(text || '').trim());
  } catch (e) {
    return { error: 'not JSON: paste the one line the merchant printed' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'not an order: expected {timeStamp, nonceStr, package, signType, paySign}' };
  }
  const order = {};
  for (const field of FIELDS) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      return { error: 'missing ' + field };
    }
    order[field] = value[field];
  }
  return { order };
}

/** 'ok', or 'fail <code>', from the errMsg wx.requestPayment answered ('requestPayment:fail signature' -> 'fail signature'). */
function outcome(errMsg) {
  return String(errMsg || '').replace(/^requestPayment:/, '');
}

module.exports = { parseOrder, outcome };
