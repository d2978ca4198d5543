/**
 * The pipeline's home: {@link dev.memtrace.pipeline.Pipeline} joins the stages (its Javadoc tells
 * the trip a log makes through them) for {@code analyze}, {@code run}, {@code maps} and {@code
 * where}, with what that takes: the inputs ({@code -ff} sets, recordings, standard input), the
 * second thread that parses and annotates ahead of rendering, and output that is checked for write
 * errors and, for a page, written whole or not at all.
 */
package dev.memtrace.pipeline;
