/** The runnable demo on the embedded defaults ({@code ./demo.sh}); replaced by the examples module later. */
package io.usher.testkit.demo;
