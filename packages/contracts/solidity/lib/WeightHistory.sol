// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title WeightHistory
/// @notice Block-number checkpoints of a 224-bit value, laid out so that the common lookup
///         (a reference block at or after the latest change) costs exactly one SLOAD.
/// @dev Each checkpoint is one word: `fromBlock << 224 | value`. The newest one lives in
///      `latest`; older ones are appended to `past`, which is only read (binary search)
///      when a reference block predates the newest change.
library WeightHistory {
    struct History {
        uint256 latest;
        uint256 pastLength;
        mapping(uint256 => uint256) past;
    }

    uint256 internal constant VALUE_BITS = 224;
    uint256 internal constant VALUE_MASK = (1 << VALUE_BITS) - 1;

    error BlockNumberTooLarge();
    error ValueTooLarge();

    /// @notice Records `value` as of the current block (a second write in one block replaces
    ///         the first, so a block's value is its final one).
    function push(History storage history, uint256 value) internal {
        if (value > VALUE_MASK) revert ValueTooLarge();
        uint256 blockNumber = block.number;
        // Reference blocks are uint32 in the WAVS ABI, so checkpoints never need more.
        if (blockNumber > type(uint32).max) revert BlockNumberTooLarge();
        uint256 latest = history.latest;
        // A zero word means "never written": nothing to archive. Real checkpoints are never
        // zero because transactions run in blocks >= 1.
        if (latest != 0 && latest >> VALUE_BITS != blockNumber) {
            history.past[history.pastLength++] = latest;
        }
        history.latest = (blockNumber << VALUE_BITS) | value;
    }

    /// @notice The current value.
    function current(History storage history) internal view returns (uint256) {
        return history.latest & VALUE_MASK;
    }

    /// @notice The value as of the end of `blockNumber` (zero before the first checkpoint).
    function valueAt(History storage history, uint256 blockNumber)
        internal
        view
        returns (uint256)
    {
        uint256 latest = history.latest;
        if (latest >> VALUE_BITS <= blockNumber) return latest & VALUE_MASK;
        // Find the first archived checkpoint newer than blockNumber; the one before it holds.
        uint256 low = 0;
        uint256 high = history.pastLength;
        while (low < high) {
            uint256 mid = (low + high) >> 1;
            if (history.past[mid] >> VALUE_BITS <= blockNumber) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low == 0 ? 0 : history.past[low - 1] & VALUE_MASK;
    }
}
