"""`make bench`: issue 5's measurement harness (handler cost, throughput, latency, growth, memory).

Every target is a ratio of two figures measured side by side in the same run, because the machines are
noisy. `python -m bench` prints the table and writes bench-results.json; see bench/PROFILE.md for where
the handler time goes.
"""
