/**
 * The timeline: the record every stage after the model passes on, one per event of the log ({@link
 * dev.memtrace.timeline.AnnotatedEvent}), and the words the stages write into it: the {@link
 * dev.memtrace.timeline.RegionClass} of a region, the {@link dev.memtrace.timeline.BufferRef} of a
 * read/write buffer, the {@link dev.memtrace.timeline.Explanation} of a call with its basis.
 *
 * <p>It sits between the model and the stages that fill the record in: the correlate stage makes
 * each record from the model's changes and the snapshots' checks, the explain stage adds the
 * explanations, buffers and classes, and the renderers read it. Each of them imports this package,
 * and this package imports only the trace (the event) and the model (its changes, and whose event
 * it is), so no stage has to import a later one to name what it hands on.
 */
package dev.memtrace.timeline;
