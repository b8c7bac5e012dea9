// Converts a forecast from the API (always Celsius) into display rows.

function toUnit(celsius, units) {
  const value = units === 'imperial' ? celsius * 9 / 5 + 32 : celsius;
  return Math.round(value) + (units === 'imperial' ? '\u00b0F' : '\u00b0C');
}

function formatForecast(forecast, units) {
  if (!forecast || !Array.isArray(forecast.days)) {
    return [];
  }
  return forecast.days.map((day) => ({
    date: day.date,
    summary: day.summary || '',
    high: toUnit(Number(day.high), units),
    low: toUnit(Number(day.low), units)
  }));
}

module.exports = { toUnit, formatForecast };
