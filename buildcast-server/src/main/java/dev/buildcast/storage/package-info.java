/**
 * What the storage adapters share: the stored form of a job record ({@link
 * dev.buildcast.storage.JobRecordJson}) and of a pending notification delivery ({@link
 * dev.buildcast.storage.PendingDeliveryJson}), so the single-node stores ({@code storage.file}) and
 * the cluster stores ({@code cluster}) read each other's records, and the name of an unfinished
 * upload's local file ({@link dev.buildcast.storage.UnfinishedUploadFile}), which both upload stores
 * keep in a server's upload folder. The adapters themselves live in the
 * sub-packages and in {@code cluster}; like them, this package is used by adapters and the wiring
 * only, never by the domain.
 */
package dev.buildcast.storage;
