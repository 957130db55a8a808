package org.buddycloud.channels.account;

/**
 * What the server keeps of a password for one SCRAM mechanism: enough to check a client's proof
 * and prove itself back, never enough to log in as the user.
 */
public record ScramCredential(ScramMechanism mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
}
