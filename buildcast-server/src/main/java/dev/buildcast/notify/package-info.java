/**
 * Telling people and programs that a job ended: a signed webhook POST and an email, each asked for
 * when the job is submitted ({@code notify: {email, webhook}}) and allowed by the configuration.
 *
 * <p>{@link dev.buildcast.notify.Notifications} checks the request, remembers it with the job's
 * token until the job ends, and hands the sending to its own threads, so a slow or unreachable
 * receiver never delays a job or the server.
 */
package dev.buildcast.notify;
