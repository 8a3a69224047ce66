package com.example.dots;

import io.tickwave.server.TickwaveLauncher;

/** Starts a Tickwave server running the dots game: {@code java -jar target/dots.jar --help} lists the flags. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        TickwaveLauncher.main(args, "dots", DotsGame::new);
    }
}
