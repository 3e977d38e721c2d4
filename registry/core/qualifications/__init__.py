"""Qualifications beside the record types: qualification-equivalence catalogues
(比照认定目录) checked row by row, and continuing-education hours added up under the
national rule."""
