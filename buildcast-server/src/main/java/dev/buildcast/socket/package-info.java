/**
 * The Socket.IO edge: events on the root namespace ({@code generate}, uploads, siofu), one
 * namespace per job whose watchers are log subscriptions ({@link dev.buildcast.socket.JobWatch}),
 * the detailed-log transfer, and the one place where exceptions become socket errors. The only
 * package (besides the wiring) that uses the Socket.IO library.
 */
package dev.buildcast.socket;
