/**
 * The wiring: {@link dev.buildcast.app.Buildcast} reads the options and configuration and
 * {@link dev.buildcast.app.BuildcastServer} builds every object by hand, on one Jetty server and
 * one port, starts them and stops them in reverse order. Nothing depends on this package; it may
 * depend on every other one.
 */
package dev.buildcast.app;
