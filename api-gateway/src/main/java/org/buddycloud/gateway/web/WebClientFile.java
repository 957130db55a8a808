package org.buddycloud.gateway.web;

import java.util.Optional;

/**
 * One file of the web client as the gateway knows it: its entity tag, its media type, and its gzip encoding when
 * the type is text that compresses.
 */
record WebClientFile(String tag, String contentType, Optional<byte[]> gzipped) {
}
