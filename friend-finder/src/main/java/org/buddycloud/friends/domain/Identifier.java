package org.buddycloud.friends.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.regex.Pattern;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * A mail address or phone number in the one form everybody hashes: a mail address trimmed and lower-cased, a phone
 * number as its E.164 digits without the plus (as Matrix's identity servers take {@code msisdn}), so that
 * {@code 07700 900123} in Britain and {@code +44 7700 900123} are the same identifier.
 */
public record Identifier(Medium medium, String address) {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern MAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}\\.[^@\\s.]{1,63}");

    public static Identifier of(Medium medium, String raw, String country) {
        if (raw == null || raw.isBlank() || raw.length() > 320) {
            throw new DomainException(Condition.BAD_REQUEST, "give the address: a mail address or a phone number");
        }
        return medium == Medium.EMAIL ? email(raw) : phone(raw, country);
    }

    public static Identifier email(String raw) {
        String address = raw.trim().toLowerCase(Locale.ROOT);
        if (!MAIL.matcher(address).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "not a mail address: " + shortened(raw));
        }
        return new Identifier(Medium.EMAIL, address);
    }

    /**
     * A phone number in international form ({@code +44 …}), or in the national form of {@code country} (ISO 3166
     * two letters, e.g. {@code GB}); only numbers libphonenumber holds for valid are taken.
     */
    public static Identifier phone(String raw, String country) {
        String region = country == null || country.isBlank() ? null : country.trim().toUpperCase(Locale.ROOT);
        try {
            PhoneNumber number = PHONES.parse(raw, region);
            if (!PHONES.isValidNumber(number)) {
                throw new DomainException(Condition.BAD_REQUEST, "not a valid phone number: " + shortened(raw));
            }
            return new Identifier(Medium.MSISDN, PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1));
        } catch (NumberParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, region == null
                    ? "give the phone number in international form (+44 …) or name its country"
                    : "not a phone number of " + region + ": " + shortened(raw));
        }
    }

    /** How it is shown to its holder: enough to tell which, not enough to read it off a screen over a shoulder. */
    public String masked() {
        if (medium == Medium.EMAIL) {
            int at = address.indexOf('@');
            return address.charAt(0) + "…@" + address.substring(at + 1);
        }
        return "+" + address.substring(0, Math.min(2, address.length())) + "…" + address.substring(address.length() - 2);
    }

    private static String shortened(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
