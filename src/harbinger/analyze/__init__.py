"""The analysis stage: series, baselines, warnings, backtests and forecasts over stored events."""
