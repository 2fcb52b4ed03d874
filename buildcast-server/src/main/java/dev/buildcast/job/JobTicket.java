package dev.buildcast.job;

/**
 * What the submitter of a job gets back, once: the id and the token. The token is the job's access
 * capability and is not stored anywhere in clear.
 */
public record JobTicket(String jobId, String token) {}
