package org.buddycloud.channels.token;

import java.time.Duration;

/**
 * @param issuer               the {@code iss} of every access token; services are configured with the same value
 * @param audience             the {@code aud} every service expects
 * @param accessTokenLifetime  short: a stolen access token is useful only this long
 * @param refreshTokenLifetime how long a login lasts without the password, if refreshed
 */
public record TokenPolicy(String issuer, String audience, Duration accessTokenLifetime, Duration refreshTokenLifetime) {
}
