/** {@code /metrics}: the {@link dev.buildcast.metrics.Metrics} facade over Micrometer and what feeds it. */
package dev.buildcast.metrics;
