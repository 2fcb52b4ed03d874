/**
 * The command-line client in the same jar ({@code buildcast run|logs|download}): it speaks to a
 * server only over HTTP and Socket.IO, like any other program, and uses no server class
 * (ArchitectureTest checks it), so it stays a client of the documented protocol.
 */
package dev.buildcast.cli;
