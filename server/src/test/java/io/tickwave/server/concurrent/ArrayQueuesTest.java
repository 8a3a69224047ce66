package io.tickwave.server.concurrent;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flag-free queues behind the outboxes and pools: bounded, first in first out, nothing lost across threads. */
class ArrayQueuesTest {

    @Test
    void shouldRoundTheCapacityUpToAPowerOfTwo() {
        assertEquals(2, new OneToOneArrayQueue<String>(1).capacity());
        assertEquals(256, new OneToOneArrayQueue<String>(256).capacity());
        assertEquals(8, new ManyToOneArrayQueue<String>(5).capacity());
        assertThrows(IllegalArgumentException.class, () -> new ManyToOneArrayQueue<String>(0));
    }

    @Test
    void shouldRefuseAnOfferWhenFullAndTakeAgainOnceAnElementLeaves() {
        OneToOneArrayQueue<Integer> one = new OneToOneArrayQueue<>(4);
        ManyToOneArrayQueue<Integer> many = new ManyToOneArrayQueue<>(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(one.offer(i));
            assertTrue(many.offer(i));
        }
        assertFalse(one.offer(4), "full");
        assertFalse(many.offer(4), "full");
        assertEquals(4, one.size());
        assertEquals(4, many.size());
        assertEquals(0, one.poll());
        assertEquals(0, many.poll());
        assertTrue(one.offer(4));
        assertTrue(many.offer(4));
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, one.poll(), "first in, first out");
            assertEquals(i, many.poll(), "first in, first out");
        }
        assertNull(one.poll());
        assertNull(many.poll());
        assertTrue(one.isEmpty());
        assertEquals(0, many.size());
    }

    @Test
    void shouldRefuseNullElements() {
        assertThrows(NullPointerException.class, () -> new OneToOneArrayQueue<String>(2).offer(null));
        assertThrows(NullPointerException.class, () -> new ManyToOneArrayQueue<String>(2).offer(null));
    }

    @Test
    void shouldHandEveryElementOfOneProducerToTheConsumerInOrder() throws Exception {
        OneToOneArrayQueue<Integer> queue = new OneToOneArrayQueue<>(64);
        int count = 20_000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                while (!queue.offer(i)) {
                    Thread.yield(); // two cores may carry every thread of the test
                }
            }
        });
        producer.start();
        for (int expected = 0; expected < count; ) {
            Integer element = queue.poll();
            if (element == null) {
                Thread.yield();
            } else {
                assertEquals(expected++, element);
            }
        }
        producer.join();
        assertNull(queue.poll());
    }

    @Test
    void shouldHandEveryElementOfManyProducersToTheConsumerExactlyOnce() throws Exception {
        ManyToOneArrayQueue<Integer> queue = new ManyToOneArrayQueue<>(64);
        int producers = 3;
        int each = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int first = p * each;
            threads[p] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = first; i < first + each; i++) {
                    while (!queue.offer(i)) {
                        Thread.yield();
                    }
                }
            });
            threads[p].start();
        }
        start.countDown();
        BitSet seen = new BitSet(producers * each);
        int[] lastOfProducer = new int[producers];
        java.util.Arrays.fill(lastOfProducer, -1);
        for (int taken = 0; taken < producers * each; ) {
            Integer element = queue.poll();
            if (element == null) {
                Thread.yield();
                continue;
            }
            assertFalse(seen.get(element), "taken twice: " + element);
            seen.set(element);
            int producer = element / each;
            assertTrue(element > lastOfProducer[producer], "one producer's elements come out in its order");
            lastOfProducer[producer] = element;
            taken++;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(producers * each, seen.cardinality());
        assertNull(queue.poll());
    }
}
