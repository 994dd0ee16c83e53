/** Implementation helpers of the jit module; not API, may change without notice. */
package io.usher.jit.internal;
