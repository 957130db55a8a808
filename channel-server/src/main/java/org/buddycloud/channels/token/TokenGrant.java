package org.buddycloud.channels.token;

/** What a login or refresh hands out: the OAuth 2.0 token response, before it becomes JSON. */
public record TokenGrant(String accessToken, long expiresInSeconds, String refreshToken, String sessionId) {
}
