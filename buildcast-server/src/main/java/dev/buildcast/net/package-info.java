/**
 * Outbound connections to addresses users name: a webhook URL given with a job, an image address
 * inside an uploaded export. {@link dev.buildcast.net.OutboundAddresses} is the one policy for
 * them (which address ranges are refused, an optional host list) and the resolver that enforces
 * it at connect time: the name is looked up once, every address is checked, and Jetty's client
 * connects to exactly those addresses, so a second DNS answer cannot lead somewhere else.
 */
package dev.buildcast.net;
