/**
 * Telling people and programs that a job ended: a signed webhook POST and an email, each asked for
 * when the job is submitted ({@code notify: {email, webhook}}) and allowed by the configuration.
 *
 * <p>{@link dev.buildcast.notify.Notifications} checks the request and records one delivery per
 * target in the {@link dev.buildcast.notify.NotificationStore} port, which keeps it over restarts
 * until it is delivered or given up; its outbox sends and retries on its own threads, so a slow or
 * unreachable receiver never delays a job or the server. The job's token is kept in memory only.
 * This package must not import the storage adapters ({@code storage..}): the wiring hands it one.
 */
package dev.buildcast.notify;
