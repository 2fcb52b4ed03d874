/**
 * The command line and the YAML configuration, read into checked records: every key is checked
 * where it is read, and a bad value is refused with the key's path and what would be accepted.
 * Used by the wiring and by notifications (their targets' settings); knows no server object.
 */
package dev.buildcast.config;
