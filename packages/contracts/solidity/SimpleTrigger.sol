// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title SimpleTrigger
/// @notice Example trigger source in the shape WAVS example components expect: anyone adds a
///         trigger, and the `NewTrigger` event carries `abi.encode(TriggerInfo)`.
contract SimpleTrigger {
    struct TriggerInfo {
        uint64 triggerId;
        address creator;
        bytes data;
    }

    event NewTrigger(bytes triggerData);

    uint64 private _lastTriggerId;
    mapping(uint64 triggerId => TriggerInfo) private _triggers;

    /// @notice Stores a trigger (ids count from 1) and emits `NewTrigger`.
    function addTrigger(bytes calldata data) external returns (uint64 triggerId) {
        triggerId = ++_lastTriggerId;
        TriggerInfo memory info = TriggerInfo(triggerId, msg.sender, data);
        _triggers[triggerId] = info;
        emit NewTrigger(abi.encode(info));
    }

    /// @notice The stored trigger (all zero for an unknown id).
    function getTrigger(uint64 triggerId) external view returns (TriggerInfo memory) {
        return _triggers[triggerId];
    }

    /// @notice The id of the latest trigger (0 before the first).
    function lastTriggerId() external view returns (uint64) {
        return _lastTriggerId;
    }
}
