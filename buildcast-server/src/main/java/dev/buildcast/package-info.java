/**
 * The root holds only {@link dev.buildcast.BuildcastException}, the base of every domain
 * exception with its wire error code. It is a leaf: it imports nothing of the product, so every
 * package can use it without a cycle (ArchitectureTest keeps it so).
 */
package dev.buildcast;
