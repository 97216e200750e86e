"""Pure planning core: forecasting, staffing, rostering. Imports no Django."""
