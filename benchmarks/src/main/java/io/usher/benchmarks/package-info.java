/** Benchmarks: the whole-sync harness ({@link io.usher.benchmarks.SyncHarness}) and JMH micro-benchmarks. */
package io.usher.benchmarks;
