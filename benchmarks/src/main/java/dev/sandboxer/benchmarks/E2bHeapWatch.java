package dev.sandboxer.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * How much heap a piece of work needed: the peak of heap in use (the sum of each heap pool's peak, garbage included,
 * so an upper bound) and the largest heap left in use after any collection during the work (what was live).
 */
final class E2bHeapWatch implements AutoCloseable {

	record Figures(long peakUsedBytes, long maxLiveAfterGcBytes, long baselineBytes, int collections) {
	}

	private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.toList();

	private final AtomicLong maxAfterGc = new AtomicLong();

	private final AtomicLong collections = new AtomicLong();

	private final List<Runnable> unregister = new ArrayList<>();

	private final long baseline;

	E2bHeapWatch() {
		System.gc();
		this.baseline = this.heapPools.stream().mapToLong((pool) -> pool.getUsage().getUsed()).sum();
		this.heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
		NotificationListener listener = this::onGc;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(listener, null, null);
				this.unregister.add(() -> {
					try {
						emitter.removeNotificationListener(listener);
					}
					catch (Exception ex) {
						// Already gone.
					}
				});
			}
		}
	}

	Figures figures() {
		long peak = this.heapPools.stream().mapToLong((pool) -> pool.getPeakUsage().getUsed()).sum();
		return new Figures(peak, this.maxAfterGc.get(), this.baseline, (int) this.collections.get());
	}

	private void onGc(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long after = 0;
		for (MemoryPoolMXBean pool : this.heapPools) {
			MemoryUsage usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
			if (usage != null) {
				after += usage.getUsed();
			}
		}
		this.collections.incrementAndGet();
		this.maxAfterGc.accumulateAndGet(after, Math::max);
	}

	@Override
	public void close() {
		this.unregister.forEach(Runnable::run);
	}

}
