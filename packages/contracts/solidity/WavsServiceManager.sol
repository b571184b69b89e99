// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IWavsServiceHandler} from "./interfaces/IWavsServiceHandler.sol";
import {IWavsServiceManager} from "./interfaces/IWavsServiceManager.sol";
import {WeightHistory} from "./lib/WeightHistory.sol";

/// @title WavsServiceManager
/// @notice A WAVS service manager that really verifies operator signatures. An owner manages
///         the operator set: each operator has one active signing key and a weight; quorum
///         is a fraction of the total weight. `validate` reads weights as of the signatures'
///         reference block, so later changes to the operator set never make an old signature
///         set pass or fail retroactively.
/// @dev Weights are checkpointed per signing key (not per operator): validation then needs
///      one storage read per signer. Rotating a key closes the old key's history and opens
///      the new one in the same block, so at any block an operator has exactly one active
///      key and its weight is counted at most once.
contract WavsServiceManager is IWavsServiceManager {
    using WeightHistory for WeightHistory.History;

    error Unauthorized(address caller);
    error ZeroAddress();
    error OperatorAlreadyRegistered(address operator);
    error OperatorNotRegistered(address operator);
    error SigningKeyInUse(address signingKey);
    error WeightTooLarge(uint256 weight);

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event OperatorRegistered(address indexed operator, address indexed signingKey, uint256 weight);
    event OperatorDeregistered(address indexed operator, address indexed signingKey);
    event OperatorWeightUpdated(address indexed operator, uint256 oldWeight, uint256 newWeight);
    event SigningKeyRotated(
        address indexed operator, address indexed oldSigningKey, address indexed newSigningKey
    );

    /// @dev A key checkpoint is `ACTIVE | weight` while the key is in use and 0 otherwise,
    ///      which tells "registered with weight 0" apart from "not registered".
    uint256 private constant ACTIVE = 1 << 96;
    /// @dev secp256k1 order / 2: larger `s` values are the malleable twin of a valid signature.
    uint256 private constant HALF_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    struct Operator {
        address signingKey; // zero when the operator is not registered
        uint96 weight;
    }

    address public owner;
    uint128 private _quorumNumerator;
    uint128 private _quorumDenominator;
    string private _serviceURI;

    mapping(address operator => Operator) private _operators;
    mapping(address signingKey => address operator) private _keyOperator;
    mapping(address signingKey => WeightHistory.History) private _keyWeights;
    WeightHistory.History private _totalWeight;

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized(msg.sender);
        _;
    }

    constructor(address initialOwner, uint256 quorumNumerator, uint256 quorumDenominator) {
        if (initialOwner == address(0)) revert ZeroAddress();
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
        _setQuorumThreshold(quorumNumerator, quorumDenominator);
    }

    // ---------------------------------------------------------------------------------------
    // Validation
    // ---------------------------------------------------------------------------------------

    /// @inheritdoc IWavsServiceManager
    function validate(
        IWavsServiceHandler.Envelope calldata envelope,
        IWavsServiceHandler.SignatureData calldata signatureData
    ) external view {
        address[] calldata signers = signatureData.signers;
        bytes[] calldata signatures = signatureData.signatures;
        uint256 count = signers.length;
        if (count == 0 || count != signatures.length) revert InvalidSignatureLength();

        uint256 referenceBlock = signatureData.referenceBlock;
        // The reference block must be final, or its weights could still change.
        if (referenceBlock >= block.number) revert InvalidSignatureBlock();

        // Order is checked in its own pass so the error raised does not depend on where in
        // the list a bad signature sits (the checks apply in the order the spec lists them).
        uint256 minNext = 0;
        for (uint256 i = 0; i < count; ++i) {
            uint256 signer = uint160(signers[i]);
            if (signer < minNext) revert InvalidSignatureOrder();
            minNext = signer + 1;
        }

        bytes32 digest = _envelopeDigest(envelope);
        uint256 signerWeight = 0;
        for (uint256 i = 0; i < count; ++i) {
            address signer = signers[i];
            bytes calldata signature = signatures[i];
            if (signature.length != 65) revert InvalidSignatureLength();
            address recovered = _recover(digest, signature);
            if (recovered == address(0) || recovered != signer) revert InvalidSignature();
            uint256 entry = _keyWeights[signer].valueAt(referenceBlock);
            if (entry == 0) revert SignerNotRegistered();
            signerWeight += uint96(entry);
        }

        uint256 totalWeight = _totalWeight.valueAt(referenceBlock);
        if (totalWeight == 0) revert InsufficientQuorumZero();
        uint256 numerator = _quorumNumerator;
        uint256 denominator = _quorumDenominator;
        // Rounded up: a 2/3 quorum of 10 needs 7, not 6.
        uint256 thresholdWeight = (totalWeight * numerator + denominator - 1) / denominator;
        if (signerWeight == 0 || signerWeight < thresholdWeight) {
            revert InsufficientQuorum(signerWeight, thresholdWeight, totalWeight);
        }
    }

    /// @dev EIP-191 "personal sign" digest of keccak256(abi.encode(envelope)).
    function _envelopeDigest(IWavsServiceHandler.Envelope calldata envelope)
        private
        pure
        returns (bytes32)
    {
        bytes32 envelopeHash = keccak256(abi.encode(envelope));
        return keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", envelopeHash));
    }

    /// @dev Calls the ecrecover precompile directly on the calldata signature (r || s || v),
    ///      skipping the memory copy and ABI overhead of the Solidity builtin. Returns zero
    ///      for any invalid signature, including high-s and v outside {27, 28}.
    function _recover(bytes32 digest, bytes calldata signature)
        private
        view
        returns (address recovered)
    {
        assembly ("memory-safe") {
            let s := calldataload(add(signature.offset, 0x20))
            if iszero(gt(s, HALF_ORDER)) {
                let ptr := mload(0x40)
                mstore(ptr, digest)
                mstore(add(ptr, 0x20), byte(0, calldataload(add(signature.offset, 0x40))))
                mstore(add(ptr, 0x40), calldataload(signature.offset))
                mstore(add(ptr, 0x60), s)
                // The precompile returns no data on failure, leaving the zeroed word in place.
                mstore(0x00, 0)
                pop(staticcall(gas(), 0x01, ptr, 0x80, 0x00, 0x20))
                recovered := mload(0x00)
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operator management
    // ---------------------------------------------------------------------------------------

    /// @notice Adds an operator with its signing key and weight.
    function registerOperator(address operator, address signingKey, uint256 weight)
        external
        onlyOwner
    {
        if (operator == address(0) || signingKey == address(0)) revert ZeroAddress();
        if (_operators[operator].signingKey != address(0)) {
            revert OperatorAlreadyRegistered(operator);
        }
        if (_keyOperator[signingKey] != address(0)) revert SigningKeyInUse(signingKey);
        uint96 newWeight = _toWeight(weight);
        _operators[operator] = Operator(signingKey, newWeight);
        _keyOperator[signingKey] = operator;
        _keyWeights[signingKey].push(ACTIVE | newWeight);
        _totalWeight.push(_totalWeight.current() + newWeight);
        emit OperatorRegistered(operator, signingKey, newWeight);
    }

    /// @notice Removes an operator; its signing key stops counting from this block on.
    function deregisterOperator(address operator) external onlyOwner {
        Operator memory info = _requireOperator(operator);
        delete _operators[operator];
        delete _keyOperator[info.signingKey];
        _keyWeights[info.signingKey].push(0);
        _totalWeight.push(_totalWeight.current() - info.weight);
        emit OperatorDeregistered(operator, info.signingKey);
    }

    /// @notice Changes an operator's weight from this block on.
    function setOperatorWeight(address operator, uint256 weight) external onlyOwner {
        Operator memory info = _requireOperator(operator);
        uint96 newWeight = _toWeight(weight);
        _operators[operator].weight = newWeight;
        _keyWeights[info.signingKey].push(ACTIVE | newWeight);
        _totalWeight.push(_totalWeight.current() - info.weight + newWeight);
        emit OperatorWeightUpdated(operator, info.weight, newWeight);
    }

    /// @notice Replaces an operator's signing key (callable by the owner or the operator).
    function rotateSigningKey(address operator, address newSigningKey) external {
        if (msg.sender != owner && msg.sender != operator) revert Unauthorized(msg.sender);
        Operator memory info = _requireOperator(operator);
        if (newSigningKey == address(0)) revert ZeroAddress();
        if (_keyOperator[newSigningKey] != address(0)) revert SigningKeyInUse(newSigningKey);
        _operators[operator].signingKey = newSigningKey;
        delete _keyOperator[info.signingKey];
        _keyOperator[newSigningKey] = operator;
        _keyWeights[info.signingKey].push(0);
        _keyWeights[newSigningKey].push(ACTIVE | info.weight);
        emit SigningKeyRotated(operator, info.signingKey, newSigningKey);
    }

    /// @notice Sets the quorum to numerator/denominator of the total weight (0 < n <= d).
    function setQuorumThreshold(uint256 numerator, uint256 denominator) external onlyOwner {
        _setQuorumThreshold(numerator, denominator);
    }

    /// @inheritdoc IWavsServiceManager
    function setServiceURI(string calldata serviceURI) external onlyOwner {
        _serviceURI = serviceURI;
        emit ServiceURIUpdated(serviceURI);
    }

    /// @notice Hands the owner role to another address.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    // ---------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------

    /// @inheritdoc IWavsServiceManager
    function getOperatorWeight(address operator) external view returns (uint256) {
        return _operators[operator].weight;
    }

    /// @notice The operator's active signing key (zero when not registered).
    function getOperatorSigningKey(address operator) external view returns (address) {
        return _operators[operator].signingKey;
    }

    /// @inheritdoc IWavsServiceManager
    function getLatestOperatorForSigningKey(address signingKey) external view returns (address) {
        return _keyOperator[signingKey];
    }

    /// @notice Whether `signingKey` was active at the end of `blockNumber`, and its weight then.
    function getSigningKeyWeightAt(address signingKey, uint256 blockNumber)
        external
        view
        returns (bool active, uint256 weight)
    {
        uint256 entry = _keyWeights[signingKey].valueAt(blockNumber);
        return (entry != 0, uint96(entry));
    }

    /// @notice Current sum of all operators' weights.
    function getTotalWeight() external view returns (uint256) {
        return _totalWeight.current();
    }

    /// @notice Sum of all operators' weights at the end of `blockNumber`.
    function getTotalWeightAt(uint256 blockNumber) external view returns (uint256) {
        return _totalWeight.valueAt(blockNumber);
    }

    /// @notice The quorum fraction.
    function getQuorumThreshold() external view returns (uint256 numerator, uint256 denominator) {
        return (_quorumNumerator, _quorumDenominator);
    }

    /// @inheritdoc IWavsServiceManager
    function getServiceURI() external view returns (string memory) {
        return _serviceURI;
    }

    /// @inheritdoc IWavsServiceManager
    function getAllocationManager() external pure returns (address) {
        return address(0);
    }

    /// @inheritdoc IWavsServiceManager
    function getDelegationManager() external pure returns (address) {
        return address(0);
    }

    /// @inheritdoc IWavsServiceManager
    function getStakeRegistry() external pure returns (address) {
        return address(0);
    }

    // ---------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------

    function _setQuorumThreshold(uint256 numerator, uint256 denominator) private {
        if (numerator == 0 || numerator > denominator || denominator > type(uint128).max) {
            revert InvalidQuorumParameters();
        }
        _quorumNumerator = uint128(numerator);
        _quorumDenominator = uint128(denominator);
        emit QuorumThresholdUpdated(numerator, denominator);
    }

    function _requireOperator(address operator) private view returns (Operator memory info) {
        info = _operators[operator];
        if (info.signingKey == address(0)) revert OperatorNotRegistered(operator);
    }

    /// @dev Weights are uint96 (like EigenLayer stakes) so a key checkpoint fits in one word
    ///      next to its ACTIVE flag, and sums of them cannot overflow the 224-bit total.
    function _toWeight(uint256 weight) private pure returns (uint96) {
        if (weight > type(uint96).max) revert WeightTooLarge(weight);
        return uint96(weight);
    }
}
