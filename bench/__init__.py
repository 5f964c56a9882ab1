"""`make bench`: the load test of MedConnect (bench/run.py) and its locust scenarios."""
