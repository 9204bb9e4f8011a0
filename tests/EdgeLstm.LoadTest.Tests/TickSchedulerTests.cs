using EdgeLstm.LoadTest.Boards;
using EdgeLstm.LoadTest.Measurement;

namespace EdgeLstm.LoadTest.Tests;

public sealed class TickSchedulerTests
{
    [Fact]
    public void Every_board_is_in_exactly_one_slot_of_one_thread()
    {
        var counters = new FleetCounters();
        SimulatedBoard[] boards = [.. Enumerable.Range(0, 1003).Select(i => new SimulatedBoard($"b-{i}", i, 10, new LatencyHistogram(), counters))];
        try
        {
            var scheduler = new TickScheduler(boards, 10, TimeSpan.FromSeconds(1));
            SimulatedBoard[][][] threads = [.. Enumerable.Range(0, 3).Select(t => scheduler.SlotsOf(t, 3))];
            SimulatedBoard[] dealt = [.. threads.SelectMany(slots => slots.SelectMany(s => s))];
            Assert.Equal(boards.Length, dealt.Distinct().Count());
            Assert.Equal(boards.Length, dealt.Length);
            Assert.All(threads, slots => Assert.InRange(slots.Max(s => s.Length) - slots.Min(s => s.Length), 0, 1));
        }
        finally
        {
            foreach (SimulatedBoard board in boards) board.Dispose();
        }
    }
}
