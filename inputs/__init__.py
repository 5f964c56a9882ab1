"""Input every interface reads the same way, checked once: the calendar range of
dates and times (`inputs.dates`) and how deep a JSON body may nest
(`inputs.json_depth`). Pages, the API and FHIR all use these, so an edge value is a
clear 400 everywhere instead of an overflow somewhere downstream."""
