// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IWavsServiceHandler} from "./interfaces/IWavsServiceHandler.sol";
import {IWavsServiceManager} from "./interfaces/IWavsServiceManager.sol";

/// @title ReplayAcceptingSubmit
/// @notice A handler shaped like WAVS's own example submit contract: it validates through the
///         service manager and stores the decoded `DataWithId` by trigger id, with no guard
///         against a replayed event. Every call that validates succeeds and overwrites the
///         stored result, so only the node can keep a result to one transaction. It counts
///         the calls per trigger id so tests can see every duplicate that landed.
contract ReplayAcceptingSubmit is IWavsServiceHandler {
    struct DataWithId {
        uint64 triggerId;
        bytes data;
    }

    IWavsServiceManager private immutable _serviceManager;

    mapping(uint64 triggerId => bool) private _validTriggers;
    mapping(uint64 triggerId => bytes) private _data;
    mapping(uint64 triggerId => SignatureData) private _signatures;
    mapping(uint64 triggerId => uint256) private _handled;

    constructor(IWavsServiceManager serviceManager) {
        _serviceManager = serviceManager;
    }

    /// @inheritdoc IWavsServiceHandler
    function handleSignedEnvelope(Envelope calldata envelope, SignatureData calldata signatureData)
        external
    {
        _serviceManager.validate(envelope, signatureData);
        DataWithId memory dataWithId = abi.decode(envelope.payload, (DataWithId));
        _signatures[dataWithId.triggerId] = signatureData;
        _data[dataWithId.triggerId] = dataWithId.data;
        _validTriggers[dataWithId.triggerId] = true;
        _handled[dataWithId.triggerId] += 1;
    }

    /// @inheritdoc IWavsServiceHandler
    function getServiceManager() external view returns (address) {
        return address(_serviceManager);
    }

    /// @notice Whether a result for this trigger id has been stored.
    function isValidTriggerId(uint64 triggerId) external view returns (bool) {
        return _validTriggers[triggerId];
    }

    /// @notice The stored result for a trigger id as `DataWithId`.
    function getDataWithId(uint64 triggerId) external view returns (DataWithId memory) {
        return DataWithId(triggerId, _data[triggerId]);
    }

    /// @notice How many handleSignedEnvelope calls landed for this trigger id.
    function handledCount(uint64 triggerId) external view returns (uint256) {
        return _handled[triggerId];
    }
}
