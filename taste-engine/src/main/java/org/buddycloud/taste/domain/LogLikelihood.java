package org.buddycloud.taste.domain;

/**
 * Dunning's log-likelihood ratio on a 2×2 table of counts, as Mahout's {@code LogLikelihood} (which the original
 * directory used through {@code LogLikelihoodSimilarity}): how surprising it is that two channels share
 * {@code k11} followers when one has {@code k11 + k12} and the other {@code k11 + k21} among {@code n} users. Unlike a
 * raw count it does not favour a channel merely because everybody follows it.
 */
public final class LogLikelihood {

    private LogLikelihood() {
    }

    /**
     * How alike two channels are from their followers: {@code ln(1 + llr)}, 0 when they share no more followers than
     * chance would give (an unrelated pair is not "alike" because it is surprisingly apart). Not Mahout's
     * {@code 1 - 1/(1 + llr)}: that saturates near 1 for every clearly related pair, so a sum of them only counts related
     * follows, and on the benchmark's planted communities precision@10 fell from 0.206 to 0.146; the logarithm keeps
     * the strength of the evidence and still lets no single pair outweigh the rest.
     * One more user who follows neither is assumed: where everybody follows both (a new, small server) the table
     * would otherwise show no surprise at all, and nothing would ever be suggested; among thousands it changes nothing.
     */
    public static double strength(long both, long firstOnly, long secondOnly, long followsNeither) {
        if (both == 0 || followsNeither < 0) {
            return 0;
        }
        long neither = followsNeither + 1;
        double rateWithFirst = (double) both / (both + firstOnly);
        double rateWithoutFirst = (double) secondOnly / Math.max(1, secondOnly + neither);
        if (rateWithFirst <= rateWithoutFirst) {
            return 0;
        }
        return Math.log1p(ratio(both, firstOnly, secondOnly, neither));
    }

    /** The log-likelihood ratio of the table {@code [[k11, k12], [k21, k22]]}. */
    public static double ratio(long k11, long k12, long k21, long k22) {
        double rowEntropy = entropy(k11 + k12, k21 + k22);
        double columnEntropy = entropy(k11 + k21, k12 + k22);
        double matrixEntropy = entropy(k11, k12, k21, k22);
        if (rowEntropy + columnEntropy < matrixEntropy) {
            return 0; // rounding error
        }
        return 2.0 * (rowEntropy + columnEntropy - matrixEntropy);
    }

    /** Unnormalised Shannon entropy of counts: {@code N log N - Σ x log x}. */
    private static double entropy(long... counts) {
        long sum = 0;
        double parts = 0;
        for (long x : counts) {
            parts += xLogX(x);
            sum += x;
        }
        return xLogX(sum) - parts;
    }

    private static double xLogX(long x) {
        return x == 0 ? 0.0 : x * Math.log(x);
    }
}
