/**
 * Time as the server's domain uses it: {@link dev.buildcast.time.Repeater}, the periodic work
 * (forcing logs to disk, renewing leases, sweeping expired ones) injected so that tests run it
 * when they choose. Wall-clock time itself is an injected {@link java.time.Clock}.
 */
package dev.buildcast.time;
