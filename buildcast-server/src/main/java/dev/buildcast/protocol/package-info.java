/**
 * The wire forms shared by the HTTP API and Socket.IO: request readers and the payload records of
 * docs/protocol.md (job status, generators, log lines, errors), and the one JSON mapper. Used by the
 * edges and notifications; it uses the domain, never an edge.
 */
package dev.buildcast.protocol;
