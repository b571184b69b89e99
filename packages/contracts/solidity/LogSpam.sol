// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title LogSpam
/// @notice Emits many logs in one transaction, for load tests of trigger ingestion.
contract LogSpam {
    event Spam(uint256 indexed id);

    /// @notice Emits `Spam(id)` for id = start, start + 1, ..., start + count - 1.
    function emitSpam(uint256 start, uint256 count) external {
        uint256 end = start + count;
        for (uint256 id = start; id < end; ++id) {
            emit Spam(id);
        }
    }
}
