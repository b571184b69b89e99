// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IWavsServiceHandler} from "./interfaces/IWavsServiceHandler.sol";
import {IWavsServiceManager} from "./interfaces/IWavsServiceManager.sol";

/// @title SimpleSubmit
/// @notice Example handler: accepts an envelope once the service manager validates it,
///         decodes the payload as `DataWithId` and stores everything by trigger id. Each
///         event id is accepted once, so a replayed submission cannot land twice.
contract SimpleSubmit is IWavsServiceHandler {
    struct DataWithId {
        uint64 triggerId;
        bytes data;
    }

    struct SignedData {
        bytes data;
        SignatureData signatureData;
        Envelope envelope;
    }

    error ZeroAddress();
    error EventAlreadyHandled(bytes20 eventId);

    event EnvelopeHandled(bytes20 indexed eventId, uint64 indexed triggerId);

    IWavsServiceManager private immutable _serviceManager;

    mapping(bytes20 eventId => bool) private _handledEvents;
    mapping(uint64 triggerId => bool) private _validTriggers;
    mapping(uint64 triggerId => SignedData) private _signedData;

    constructor(IWavsServiceManager serviceManager) {
        if (address(serviceManager) == address(0)) revert ZeroAddress();
        _serviceManager = serviceManager;
    }

    /// @inheritdoc IWavsServiceHandler
    function handleSignedEnvelope(Envelope calldata envelope, SignatureData calldata signatureData)
        external
    {
        // Checked before validate so a duplicate fails cheaply; validate is a static call, so
        // nothing can re-enter between this check and the write below.
        if (_handledEvents[envelope.eventId]) revert EventAlreadyHandled(envelope.eventId);
        _serviceManager.validate(envelope, signatureData);
        _handledEvents[envelope.eventId] = true;

        DataWithId memory dataWithId = abi.decode(envelope.payload, (DataWithId));
        uint64 triggerId = dataWithId.triggerId;
        _validTriggers[triggerId] = true;

        SignedData storage stored = _signedData[triggerId];
        stored.data = dataWithId.data;
        stored.envelope = envelope;
        stored.signatureData = signatureData;

        emit EnvelopeHandled(envelope.eventId, triggerId);
    }

    /// @inheritdoc IWavsServiceHandler
    function getServiceManager() external view returns (address) {
        return address(_serviceManager);
    }

    /// @notice Everything stored for a trigger id (all zero when unknown).
    function getSignedData(uint64 triggerId) external view returns (SignedData memory) {
        return _signedData[triggerId];
    }

    /// @notice The stored result for a trigger id as `DataWithId`.
    function getDataWithId(uint64 triggerId) external view returns (DataWithId memory) {
        return DataWithId(triggerId, _signedData[triggerId].data);
    }

    /// @notice Whether a result for this trigger id has been stored.
    function isValidTriggerId(uint64 triggerId) external view returns (bool) {
        return _validTriggers[triggerId];
    }

    /// @notice Whether an envelope with this event id has been accepted.
    function isEventHandled(bytes20 eventId) external view returns (bool) {
        return _handledEvents[eventId];
    }
}
