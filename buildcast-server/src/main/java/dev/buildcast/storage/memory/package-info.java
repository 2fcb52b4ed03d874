/**
 * In-memory adapters of the domain's ports, for a server that keeps nothing across a restart and
 * for tests: {@link dev.buildcast.storage.memory.InMemoryJobStore}. They hold what the file
 * adapters hold, under the same contracts, and import only the domain and the JDK.
 */
package dev.buildcast.storage.memory;
