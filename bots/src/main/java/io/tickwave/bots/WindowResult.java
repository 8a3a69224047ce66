package io.tickwave.bots;

import org.HdrHistogram.Histogram;

/**
 * What the swarm measured over one window of time (the measured part of a run, or one step of a
 * capacity search). Histograms in microseconds; join → first snapshot covers every join of the run so
 * far (joins happen during the ramp, before the window). Immutable once built; any thread.
 *
 * @param seconds             length of the window
 * @param connectedAvg        bots connected, averaged over the window's one-second samples
 * @param connectedAtEnd      bots connected when the window closed
 * @param stalledAtEnd        of those, bots that stopped reading on purpose
 * @param botCpuPctOfOneCore  CPU the bot process used, in % of one core (200 = two cores busy)
 * @param botCores            cores the bot process may use
 * @param state               what the state-decoding bots counted over the window
 */
record WindowResult(double seconds, double connectedAvg, int connectedAtEnd, int stalledAtEnd,
                    Histogram inputToSnapshotUs, Histogram inputToSnapshotRawUs, Histogram rttUs,
                    Histogram snapshotInterArrivalUs, Histogram joinToFirstSnapshotUs, Histogram sendLagUs,
                    long inputsSent, long inputsAcked, long acksSent, long pingsSent, long chatsSent,
                    long snapshotsReceived, long pongsReceived, long framesReceived, long bytesReceived,
                    long framesSent, long bytesSent,
                    double botCpuPctOfOneCore, int botCores, StateStats.Totals state) {

    /** Bots that count for per-bot rates: the average connected, less the ones that stopped reading. */
    double readingBots() {
        return Math.max(1e-9, connectedAvg - stalledAtEnd);
    }

    double recvKbpsPerBot() {
        return bytesReceived * 8 / 1000.0 / seconds / readingBots();
    }

    double recvFramesPerBotPerSecond() {
        return framesReceived / seconds / readingBots();
    }

    double recvBytesPerBotPerSecond() {
        return bytesReceived / seconds / readingBots();
    }

    /**
     * Microseconds of bot-process CPU (every thread: lanes, reporter, GC, JIT) per WebSocket data
     * message sent or received in the window; 0 when nothing moved. What one bot message costs.
     */
    double botCpuUsPerMessage() {
        return cpuUsPerMessage(botCpuPctOfOneCore, seconds, framesSent + framesReceived);
    }

    /** {@code cpuPct} % of one core over {@code seconds}, spread over {@code messages}. */
    static double cpuUsPerMessage(double cpuPct, double seconds, long messages) {
        return messages <= 0 ? 0 : cpuPct / 100.0 * seconds * 1e6 / messages;
    }

    /** CPU used in % of the cores the process may use. */
    double botCpuPctOfAvailable() {
        return botCpuPctOfOneCore / Math.max(1, botCores);
    }

    /**
     * Whether the bots, not the server, may have set the figures: the process ran its cores nearly
     * flat out, or its own timers sent inputs late.
     */
    boolean botBottleneck() {
        return botCpuPctOfAvailable() > BotLimits.CPU_PCT_BOTTLENECK
                || (sendLagUs.getTotalCount() > 0 && sendLagUs.getValueAtPercentile(99) > BotLimits.SEND_LAG_P99_US_BOTTLENECK);
    }
}
