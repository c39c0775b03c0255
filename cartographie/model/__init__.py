"""The model of the portfolio: vocabulary, records and the validated inventory."""
