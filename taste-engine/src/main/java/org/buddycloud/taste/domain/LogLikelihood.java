package org.buddycloud.taste.domain;

/**
 * Dunning's log-likelihood ratio on a 2×2 table of counts, as Mahout's {@code LogLikelihood} and its
 * {@code LogLikelihoodSimilarity} (which the original directory used): how surprising it is that two channels share
 * {@code k11} followers when one has {@code k11 + k12} and the other {@code k11 + k21} among {@code n} users. Unlike a
 * raw count it does not favour a channel merely because everybody follows it.
 */
public final class LogLikelihood {

    private LogLikelihood() {
    }

    /**
     * The similarity of two channels from their followers: {@code 1 - 1 / (1 + llr)}, in [0, 1); 0 when they share
     * fewer followers than chance would give (an unrelated pair is not "similar" because it is surprisingly apart).
     * One more user who follows neither is assumed: where everybody follows both (a new, small server) the table
     * would otherwise show no surprise at all, and nothing would ever be suggested; among thousands it changes nothing.
     */
    public static double similarity(long both, long firstOnly, long secondOnly, long followsNeither) {
        if (both == 0 || followsNeither < 0) {
            return 0;
        }
        long neither = followsNeither + 1;
        double rateWithFirst = (double) both / (both + firstOnly);
        double rateWithoutFirst = (double) secondOnly / Math.max(1, secondOnly + neither);
        if (rateWithFirst <= rateWithoutFirst) {
            return 0;
        }
        return 1.0 - 1.0 / (1.0 + ratio(both, firstOnly, secondOnly, neither));
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
