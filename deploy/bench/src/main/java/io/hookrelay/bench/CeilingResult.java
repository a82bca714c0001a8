package io.hookrelay.bench;

import java.util.List;
import java.util.Map;

/** The machine's ceiling: the load client posting the same body straight to the same receiver. */
record CeilingResult(double seconds, int concurrency, long answered, double requestsPerSecond, Latency latency,
        Map<String, Integer> errors, List<ProcessSampler.RoleFigures> processes) {}
